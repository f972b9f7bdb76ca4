(* Hashtbl of closures used as a command dispatcher, CPS and closures in records. *)
type handler = { name : string; arity : int; run : int list -> int }

let table : (string, handler) Hashtbl.t = Hashtbl.create 16

let register name arity run = Hashtbl.replace table name { name; arity; run }

let () =
  register "add" 2 (function [ a; b ] -> a + b | _ -> invalid_arg "add");
  register "neg" 1 (function [ a ] -> -a | _ -> invalid_arg "neg");
  register "sum" (-1) (List.fold_left ( + ) 0);
  register "max3" 3 (function [ a; b; c ] -> max a (max b c) | _ -> invalid_arg "max3");
  let counter = ref 0 in
  register "tick" 0 (fun _ -> incr counter; !counter)

let call name args =
  match Hashtbl.find_opt table name with
  | None -> Error ("unknown command " ^ name)
  | Some h when h.arity >= 0 && h.arity <> List.length args -> Error (Printf.sprintf "%s expects %d args" h.name h.arity)
  | Some h -> Ok (h.run args)

let rec fact_cps n k = if n <= 1 then k 1 else fact_cps (n - 1) (fun r -> k (n * r))
let rec fib_cps n k = if n < 2 then k n else fib_cps (n - 1) (fun a -> fib_cps (n - 2) (fun b -> k (a + b)))
