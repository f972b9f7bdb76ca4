let evaluations = ref 0

let expensive name v =
  lazy (incr evaluations; Printf.printf "  [evaluating %s]\n" name; v * v)

exception Bad_value of string

let failing name = lazy (incr evaluations; raise (Bad_value name))

let table = Array.init 10 (fun i -> expensive ("cell" ^ string_of_int i) i)
