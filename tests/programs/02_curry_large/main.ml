open Big
open Appl

let pr name v = Printf.printf "%-34s = %d\n" name v

let () =
  print_endline "== full applications (known) ==";
  pr "f16 1..16" (f16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
  pr "f30 1..30"
    (f30 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30);
  print_endline "== unknown closures, exact arity ==";
  pr "apply9 f9" (apply9 (opaque f9));
  pr "apply10 f10" (apply10 (opaque f10));
  pr "apply12 f12" (apply12 (opaque f12));
  pr "apply15 f15" (apply15 (opaque f15));
  pr "apply16 f16" (apply16 (opaque f16));
  pr "apply17 f17" (apply17 (opaque f17));
  pr "apply20 f20" (apply20 (opaque f20));
  pr "apply23 f23" (apply23 (opaque f23));
  pr "apply25 f25" (apply25 (opaque f25));
  pr "apply30 f30" (apply30 (opaque f30));
  print_endline "== partial applications at various points ==";
  pr "apply15 (f16 100)" (apply15 (opaque (f16 100)));
  pr "apply16 (f17 100)" (apply16 (opaque (f17 100)));
  pr "apply10 (f20 1..10)" (apply10 (opaque (f20 1 1 1 1 1 1 1 1 1 1)));
  pr "apply12 (f20 1..8) +over" (apply12 (opaque (fun a b c d e f g h i j k l -> f20 1 1 1 1 1 1 1 1 a b c d e f g h i j k l)));
  pr "apply20 (f23 5 5 5)" (apply20 (opaque (f23 5 5 5)));
  pr "apply23 (f25 2 2)" (apply23 (opaque (f25 2 2)));
  pr "apply25 (f30 1 2 3 4 5)" (apply25 (opaque (f30 1 2 3 4 5)));
  pr "apply9 (f17 x8)" (apply9 (opaque (f17 1 2 3 4 5 6 7 8)));
  pr "apply17 (f25 x8)" (apply17 (opaque (f25 1 2 3 4 5 6 7 8)));
  print_endline "== one argument at a time ==";
  pr "f16 stepwise" (apply_rest 16 (opaque f16));
  pr "f17 stepwise" (apply_rest 17 (opaque f17));
  pr "f20 stepwise" (apply_rest 20 (opaque f20));
  pr "f23 stepwise" (apply_rest 23 (opaque f23));
  pr "f25 stepwise" (apply_rest 25 (opaque f25));
  pr "f30 stepwise" (apply_rest 30 (opaque f30));
  print_endline "== chunks ==";
  let g = opaque f30 in
  let g1 = g 1 2 3 in
  let g2 = g1 4 5 6 7 8 9 10 in
  let g3 = g2 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 in
  pr "f30 in chunks 3/7/17/3" (g3 28 29 30);
  let h = opaque f23 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 in
  pr "f23 last arg" (h 23);
  pr "f23 last arg again" (h 0);
  print_endline "== through List.map / higher-order ==";
  let ps = List.map (fun k -> f17 k k k k k k k k k k k k k k k k) [ 1; 2; 3; 4 ] in
  List.iter (fun f -> Printf.printf "%d " (f 1)) ps;
  print_newline ();
  let ps = List.map (fun k -> f25 k) [ 1; 2; 3 ] in
  let rs = List.map apply23 (List.map (fun f -> f 0) ps) in
  List.iter (Printf.printf "%d ") rs;
  print_newline ();
  let rs = List.map (fun f -> apply20 f) [ f20; f23 1 2 3; f25 9 9 9 9 9; opaque (f30 1 2 3 4 5 6 7 8 9 10) ] in
  List.iter (Printf.printf "%d ") rs;
  print_newline ();
  let arr = Array.init 10 (fun i -> f16 i i i i i i i i i i i i i i) in
  Array.iteri (fun i f -> Printf.printf "%d:%d " i (f i (-i))) arr;
  print_newline ();
  print_endline "== mixed types ==";
  let m = opaque mixed17 1 1.5 "s3" 'd' in
  let m = m 5 6.5 "s7" 'h' 9 in
  print_endline (m 10.5 "s11" 'l' 13 14.5 "s15" 'p' [ 1; 2; 3 ]);
  let mf = List.map (fun x -> mixed17 x 0.5 "a" 'b' x 0.25 "c" 'd' x 0.125 "e" 'f' x) [ 7; 8 ] in
  List.iter (fun f -> print_endline (f 1.0 "z" 'y' [ 0 ])) mf;
  let fs = opaque fsum20 1. 2. 3. 4. 5. 6. 7. 8. 9. 10. in
  Printf.printf "fsum20 = %.3f\n" (fs 11. 12. 13. 14. 15. 16. 17. 18. 19. 20.);
  Printf.printf "fsum20 over list = %.3f\n"
    (List.fold_left (fun acc x -> acc +. fs x x x x x x x x x x) 0. [ 0.5; 1.5; 2.5 ]);
  let total = ref 0 in
  for i = 1 to 2000 do
    total := !total + apply25 (opaque (f30 i 1 2 3 4)) mod 1000
  done;
  pr "loop of partial f30" !total;
  prerr_endline "curry_large: done";
  Printf.eprintf "curry_large: checksum %d\n" (!total mod 997)
