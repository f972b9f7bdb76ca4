module IC = Collections.Make (Ordered.Int_ord)
module SC = Collections.Make (Ordered.String_ord)
module P = Ordered.Pair (Ordered.Int_ord) (Ordered.String_ord)
module PC = Collections.Make (P)
module RC = Collections.Make (Ordered.Rev (Ordered.Int_ord))

module Sum = Collections.Fold (struct type t = int let empty = 0 let combine = ( + ) end)
module Cat = Collections.Fold (struct type t = string let empty = "" let combine = ( ^ ) end)
module C1 = Collections.Counter ()
module C2 = Collections.Counter ()
module MemoInt = Collections.Memo (struct type t = int let equal = Int.equal let hash = Hashtbl.hash end)

let () =
  let nums = [ 5; 3; 8; 1; 9; 3; 5; 5; 2; 8 ] in
  print_endline (IC.show_set (IC.set_of_list nums));
  print_endline (RC.show_set (RC.set_of_list nums));
  print_endline (IC.show_map (IC.histogram nums));
  let words = String.split_on_char ' ' "the quick brown fox jumps over the lazy dog the end" in
  print_endline (SC.show_set (SC.set_of_list words));
  print_endline (SC.show_map (SC.histogram words));
  let pairs = List.combine nums (List.filteri (fun i _ -> i < 10) (words @ words)) in
  print_endline (PC.show_set (PC.set_of_list pairs));
  let s1 = IC.set_of_list [ 1; 2; 3; 4; 5 ] and s2 = IC.set_of_list [ 4; 5; 6; 7 ] in
  Printf.printf "union %s inter %s diff %s\n" (IC.show_set (IC.S.union s1 s2)) (IC.show_set (IC.S.inter s1 s2))
    (IC.show_set (IC.S.diff s1 s2));
  let big = IC.set_of_list (List.init 20_000 (fun i -> (i * 7919) mod 10007)) in
  Printf.printf "big set cardinal %d min %d max %d\n" (IC.S.cardinal big) (IC.S.min_elt big) (IC.S.max_elt big);
  let m = List.fold_left (fun m i -> IC.M.add i (i * i) m) IC.M.empty (List.init 1000 Fun.id) in
  Printf.printf "map find 999 -> %d, mem 1000 %b, fold %d\n" (IC.M.find 999 m) (IC.M.mem 1000 m)
    (IC.M.fold (fun _ v acc -> acc + v) m 0);
  let evens = IC.M.filter (fun k _ -> k mod 2 = 0) m in
  Printf.printf "evens %d, split at 500: %d below\n" (IC.M.cardinal evens)
    (let l, _, _ = IC.M.split 500 m in IC.M.cardinal l);
  Printf.printf "Sum %d Cat %s\n" (Sum.concat [ 1; 2; 3; 4 ]) (Cat.concat [ "a"; "b"; "c" ]);
  Printf.printf "generative counters: %d %d %d %d\n" (C1.next ()) (C1.next ()) (C2.next ()) (C1.next ());
  let fib = MemoInt.memo (fun self n -> if n < 2 then n else self (n - 1) + self (n - 2)) in
  Printf.printf "memo fib 80 = %d\n" (fib 80);
  let seq = IC.S.to_seq (IC.S.filter (fun x -> x mod 1000 = 0) big) in
  Printf.printf "seq: %s\n" (String.concat "," (List.of_seq (Seq.map string_of_int seq)));
  prerr_endline ("functors: " ^ P.to_string (42, "answer"))
