let show_ints s = String.concat " " (List.of_seq (Seq.map string_of_int s))

let () =
  print_endline (show_ints (Gen.take 20 (Gen.naturals 0)));
  print_endline (show_ints (Gen.take 10 (Seq.filter (fun x -> x mod 7 = 3) (Gen.naturals 0))));
  print_endline (show_ints (Gen.collatz 27 |> Gen.take 30));
  Printf.printf "collatz 27 length %d\n" (Seq.fold_left (fun n _ -> n + 1) 0 (Gen.collatz 27));
  let longest = Seq.fold_left (fun (bn, bl) n -> let l = Seq.fold_left (fun k _ -> k + 1) 0 (Gen.collatz n) in if l > bl then (n, l) else (bn, bl)) (1, 1) (Gen.take 3000 (Gen.naturals 1)) in
  Printf.printf "longest collatz below 3000: %d (%d steps)\n" (fst longest) (snd longest);
  let pairs = Gen.zip (Gen.chars "sequence") (Gen.naturals 100) in
  Seq.iter (fun (c, i) -> Printf.printf "%c%d " c i) pairs;
  print_newline ();
  let m = Seq.flat_map (fun x -> List.to_seq [ x; x * 10 ]) (List.to_seq [ 1; 2; 3 ]) in
  print_endline (show_ints m);
  let h = Hashtbl.of_seq (Seq.map (fun i -> (i, i * i)) (Gen.take 100 (Gen.naturals 0))) in
  Printf.printf "hashtbl from seq: %d entries, 99 -> %d\n" (Hashtbl.length h) (Hashtbl.find h 99);
  let module SM = Map.Make (String) in
  let wm = SM.of_seq (Seq.map (fun w -> (w, String.length w)) (List.to_seq (String.split_on_char ' ' "a seq of words for a map"))) in
  SM.iter (fun k v -> Printf.printf "%s:%d " k v) wm;
  print_newline ();
  let arr = Array.of_seq (Gen.take_while (fun x -> x < 50) (Seq.map (fun x -> x * x) (Gen.naturals 0))) in
  Printf.printf "squares below 50: %s\n" (String.concat "," (Array.to_list (Array.map string_of_int arr)));
  let buf = Buffer.create 16 in
  Buffer.add_seq buf (Seq.map Char.uppercase_ascii (Gen.chars "upper via seq"));
  print_endline (Buffer.contents buf);
  let s = String.of_seq (Seq.filter (fun c -> c <> ' ') (Gen.chars "no spaces at all")) in
  print_endline s;
  let total = Seq.fold_left ( + ) 0 (Gen.take 100_000 (Gen.naturals 1)) in
  Printf.printf "sum 1..100000 = %d\n" total;
  (* an ephemeral seq from a channel-like counter *)
  let counter = ref 0 in
  let rec ticks () = if !counter >= 5 then Seq.Nil else (incr counter; Seq.Cons (!counter, ticks)) in
  print_endline (show_ints ticks);
  print_endline (show_ints ticks);
  prerr_endline "seq: done"
