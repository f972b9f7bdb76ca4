(* Closures to be marshalled with Marshal.Closures. *)
let offset = 1000
let make_adder n = fun x -> x + n + offset
let make_formatter prefix = fun x -> Printf.sprintf "%s%d" prefix x
let compose f g x = f (g x)
let rec fact n = if n <= 1 then 1 else n * fact (n - 1)

let registry : (string, int -> int) Hashtbl.t = Hashtbl.create 16

let () =
  Hashtbl.add registry "double" (fun x -> 2 * x);
  Hashtbl.add registry "square" (fun x -> x * x);
  Hashtbl.add registry "fact" fact;
  Hashtbl.add registry "adder5" (make_adder 5);
  Hashtbl.add registry "neg" (fun x -> -x);
  Hashtbl.add registry "double" (fun x -> 20 * x) (* shadows *)
