(* Store tuplified functions in data structures. *)
type 'a entry = { label : string; fn : 'a }

let triples : (int * int * int -> int) entry list =
  [ { label = "t3"; fn = Tup.t3 }; { label = "sum3"; fn = (fun (a, b, c) -> a + b + c) };
    { label = "max3"; fn = (fun (a, b, c) -> max a (max b c)) } ]

let table : (string, int * int -> int) Hashtbl.t = Hashtbl.create 8

let () =
  Hashtbl.replace table "t2" Tup.t2;
  Hashtbl.replace table "diff" (fun (a, b) -> a - b);
  Hashtbl.replace table "mul" (fun (a, b) -> a * b)

let arr4 = [| Tup.t4; (fun (a, b, c, d) -> a - b - c - d); (fun (_, _, _, d) -> d) |]
