open Env

let () =
  let big = make_big 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 in
  Printf.printf "big closure: %d %d\n" (big 1 0) (big 2 3);
  let bigs = List.init 5 (fun i -> make_big i i i i i i i i i i i i i i i (i + 1)) in
  Printf.printf "bigs: %s\n" (String.concat " " (List.map (fun f -> string_of_int (f 10 1)) bigs));
  let partial = (Sys.opaque_identity make_big) 1 1 1 1 1 1 1 1 in
  let more = partial 2 2 2 2 in
  Printf.printf "partial big: %d %d\n" (more 3 3 3 3 5 6) ((more 0 0 0 0) 1 1);
  let even, odd = make_pair 7 in
  Printf.printf "even 10 = %d odd 10 = %d even 7 = %d\n" (even 10) (odd 10) (even 7);
  let incr_by, get, reset = counter () in
  List.iter (fun k -> ignore (incr_by k)) [ 1; 2; 3; 4 ];
  Printf.printf "counter %d\n" (get ());
  reset ();
  Printf.printf "after reset %d, then %d\n" (get ()) (incr_by 10);
  let o = ops_with 100 in
  Printf.printf "ops: %d %d %s\n" (o.add 1 2) (o.mul3 2 3 4) (o.fmt "s" 5 2.5);
  let adders = List.map o.add [ 1; 2; 3 ] in
  Printf.printf "adders: %s\n" (String.concat " " (List.map (fun f -> string_of_int (f 10)) adders));
  let m = List.map (fun f -> f 2) (List.map o.mul3 [ 1; 2; 3 ]) in
  Printf.printf "mul3 partial twice: %s\n" (String.concat " " (List.map (fun f -> string_of_int (f 5)) m));
  let c3 = curry3 (fun (a, b, c) -> a - b - c) in
  Printf.printf "curry3 %d, uncurry3 %d\n" (c3 10 2 3) (uncurry3 (fun a b c -> a * b * c) (2, 3, 4));
  Printf.printf "flip %d, iterate %d\n" (flip ( - ) 1 10) (iterate 10 (fun x -> x * 2) 1);
  let p = pipeline [ (fun x -> x + 1); (fun x -> x * 10); (fun x -> x - 3); string_of_int |> fun f x -> int_of_string (f x ^ "0") ] in
  Printf.printf "pipeline 4 = %d\n" (p 4);
  (* closures capturing floats and strings, stored in arrays *)
  let fs = Array.init 8 (fun i -> let f = float_of_int i *. 1.5 and s = String.make i '*' in fun x -> Printf.sprintf "%s%.2f" s (f *. x)) in
  Array.iter (fun f -> print_endline (f 2.)) fs;
  (* many short-lived closures *)
  let total = ref 0 in
  for i = 1 to 50_000 do
    let f = (fun a b -> a * b + i) in
    let g = f i in
    total := (!total + g 3) land 0xffffff
  done;
  Printf.printf "closure churn total %d\n" !total;
  (* recursive closure through a ref (Landin's knot) *)
  let knot = ref (fun _ -> 0) in
  knot := (fun n -> if n = 0 then 1 else n * !knot (n - 1));
  Printf.printf "knot fact 12 = %d\n" (!knot 12);
  prerr_endline "closures: done"
