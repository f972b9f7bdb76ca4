open Funs
open Apply

let pr name v = Printf.printf "%-28s = %d\n" name v

let () =
  print_endline "== direct full applications ==";
  pr "f2 1 2" (f2 1 2);
  pr "f5 1 2 3 4 5" (f5 1 2 3 4 5);
  pr "f8 1..8" (f8 1 2 3 4 5 6 7 8);
  print_endline "== unknown closures, exact arity ==";
  pr "apply2 f2" (apply2 (opaque f2));
  pr "apply3 f3" (apply3 (opaque f3));
  pr "apply4 f4" (apply4 (opaque f4));
  pr "apply5 f5" (apply5 (opaque f5));
  pr "apply6 f6" (apply6 (opaque f6));
  pr "apply7 f7" (apply7 (opaque f7));
  pr "apply8 f8" (apply8 (opaque f8));
  print_endline "== unknown closures, partial applications ==";
  pr "apply2 (f4 9 9)" (apply2 (opaque (f4 9 9)));
  pr "apply3 (f5 9 8)" (apply3 (opaque (f5 9 8)));
  pr "apply4 (f6 9 8)" (apply4 (opaque (f6 9 8)));
  pr "apply5 (f7 9 8)" (apply5 (opaque (f7 9 8)));
  pr "apply6 (f8 9 8)" (apply6 (opaque (f8 9 8)));
  pr "apply7 (f8 9)" (apply7 (opaque (f8 9)));
  print_endline "== over-application ==";
  pr "apply3 adder2" (apply3 (opaque adder2));
  pr "apply5 adder3" (apply5 (opaque adder3));
  pr "adder3 1 2 3 4 5" (adder3 1 2 3 4 5);
  let g = opaque (fun a -> fun b -> fun c -> fun d -> a - b + c - d) in
  pr "curried lambda chain" (apply4 g);
  let h = opaque (fun a b -> fun c d -> fun e f g -> a + b * c + d * e + f * g) in
  pr "mixed lambda arities" (apply7 h);
  print_endline "== stepwise ==";
  let p = ref (opaque f8 : int -> int -> int -> int -> int -> int -> int -> int -> int) in
  let r1 = !p 5 in
  let r2 = r1 4 3 in
  let r3 = r2 2 in
  let r4 = r3 1 0 9 in
  pr "f8 5 4 3 2 1 0 9 8" (r4 8);
  pr "step2 f3 then 7" (step2 (opaque f3) 7);
  pr "step1 f3 then 2 3" (step1 (opaque f3) 2 3);
  p := (fun a b c d e f g h -> a + b + c + d + e + f + g + h);
  pr "sum8 via ref" (apply8 !p);
  print_endline "== closures through List.map ==";
  let fs = [ f3 1; f3 2; (fun a b -> a * b); opaque (f4 1 2 3) |> (fun k a _ -> k a) ] in
  List.iter (fun f -> Printf.printf "%d " (f 4 5)) fs;
  print_newline ();
  let partials = List.map (fun a -> f5 a) [ 1; 2; 3 ] in
  let more = List.map (fun f -> f 0 0) partials in
  let done_ = List.map (fun f -> f 1 2) more in
  List.iter (Printf.printf "%d ") done_;
  print_newline ();
  let ls = List.map2 f2 [ 1; 2; 3 ] [ 4; 5; 6 ] in
  List.iter (Printf.printf "%d ") ls;
  print_newline ();
  let folded = List.fold_left (fun acc f -> acc + f 1) 0 (List.map (fun x -> f2 x) [ 3; 4; 5 ]) in
  pr "fold of partials" folded;
  print_endline "== strings and floats ==";
  print_endline (str3 "a" "b" "c");
  let s3 = opaque str3 in
  print_endline (List.fold_left (fun acc x -> s3 acc x "!") "start" [ "x"; "y"; "z" ]);
  let m = opaque mixf 42 in
  print_endline (m 3.14159 'q' "tail");
  let m2 = m 2.5 in
  print_endline (m2 'z' "again");
  pr "twice (f2 1)" (twice (f2 1) 3);
  pr "compose" (compose (f2 1) (f3 1 2) 3);
  prerr_endline "curry_small: stderr line";
  Printf.eprintf "curry_small: final %d\n" (apply8 (opaque f8))
