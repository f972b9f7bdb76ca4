let () =
  print_endline "== memoisation ==";
  let a = Memo.expensive "a" 12 in
  Printf.printf "is_val before: %b\n" (Lazy.is_val a);
  Printf.printf "force: %d\n" (Lazy.force a);
  Printf.printf "force again: %d\n" (Lazy.force a);
  Printf.printf "is_val after: %b, evaluations=%d\n" (Lazy.is_val a) !Memo.evaluations;
  let sum = ref 0 in
  for i = 0 to 9 do if i mod 3 = 0 then sum := !sum + Lazy.force Memo.table.(i) done;
  for i = 0 to 9 do if i mod 2 = 0 then sum := !sum + Lazy.force Memo.table.(i) done;
  Printf.printf "table sum %d, evaluations=%d\n" !sum !Memo.evaluations;
  print_endline "== exceptions inside lazy ==";
  let f = Memo.failing "f" in
  for _ = 1 to 3 do
    match Lazy.force f with
    | () -> print_endline "no exception?"
    | exception Memo.Bad_value n -> Printf.printf "Bad_value %s (evaluations=%d)\n" n !Memo.evaluations
  done;
  let rec self_ref = lazy (1 + Lazy.force self_ref) in
  (match Lazy.force self_ref with
   | v -> Printf.printf "self_ref = %d\n" v
   | exception Lazy.Undefined -> print_endline "self_ref: Lazy.Undefined");
  let lv = Lazy.from_val 99 in
  Printf.printf "from_val: %b %d\n" (Lazy.is_val lv) (Lazy.force lv);
  let lf = Lazy.from_fun (fun () -> String.concat "-" [ "from"; "fun" ]) in
  print_endline (Lazy.force lf);
  let mapped = Lazy.map (fun s -> String.length s) lf in
  Printf.printf "Lazy.map: %d\n" (Lazy.force mapped);
  print_endline "== lazy streams ==";
  Printf.printf "naturals: %s\n" (String.concat " " (List.map string_of_int (Lstream.take 15 (Lstream.from 0))));
  Printf.printf "squares: %s\n"
    (String.concat " " (List.map string_of_int (Lstream.take 10 (Lstream.map (fun x -> x * x) (Lstream.from 1)))));
  Printf.printf "primes: %s\n" (String.concat " " (List.map string_of_int (Lstream.take 60 Lstream.primes)));
  Printf.printf "primes again (memoised): %d\n" (List.fold_left ( + ) 0 (Lstream.take 60 Lstream.primes));
  Printf.printf "fibs: %s\n" (String.concat " " (List.map string_of_int (Lstream.take 40 (Lstream.fibs 0 1))));
  let big = Lstream.take 20000 (Lstream.from 1) in
  Printf.printf "sum of 20000 naturals: %d\n" (List.fold_left ( + ) 0 big);
  let lazies = List.init 5000 (fun i -> lazy (i * 2)) in
  let forced = List.fold_left (fun acc l -> acc + Lazy.force l) 0 lazies in
  Gc.full_major ();
  let forced2 = List.fold_left (fun acc l -> acc + Lazy.force l) 0 lazies in
  Printf.printf "lazies after GC: %d %d\n" forced forced2;
  let lf = lazy (float_of_int 7 /. 2.) in
  Printf.printf "lazy float %.2f\n" (Lazy.force lf);
  prerr_endline "lazy: finished";
  let boom = lazy (failwith "forced a failing lazy at top level") in
  Lazy.force boom
