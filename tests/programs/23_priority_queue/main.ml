module IH = Heap.Make (Int)
module SH = Heap.Make (struct type t = string let compare a b = compare (String.length a, a) (String.length b, b) end)

let () =
  let h = IH.create () in
  List.iter (IH.push h) [ 5; 3; 9; 1; 7; 2; 8; 6; 4; 0 ];
  let out = ref [] in
  while not (IH.is_empty h) do out := IH.pop h :: !out done;
  Printf.printf "heap sort: %s\n" (String.concat " " (List.rev_map string_of_int !out));
  let sh = SH.create () in
  List.iter (SH.push sh) (String.split_on_char ' ' "priority queues order words by length then alphabetically ok");
  let words = List.init (SH.size sh) (fun _ -> SH.pop sh) in
  Printf.printf "words: %s\n" (String.concat " " words);
  let big = IH.create () in
  let s = ref 7 in
  for _ = 1 to 20000 do s := ((!s * 69069) + 1) land 0xffffff; IH.push big !s done;
  let prev = ref (-1) and sorted = ref true and sum = ref 0 in
  while not (IH.is_empty big) do
    let x = IH.pop big in
    if x < !prev then sorted := false;
    prev := x; sum := (!sum + x) land 0xffffff
  done;
  Printf.printf "20000 pops sorted: %b checksum %d\n" !sorted !sum;
  let g = Graph.make 2000 8000 42 in
  let dist, pops = Graph.dijkstra g 0 in
  Printf.printf "dijkstra: %d pops\n" pops;
  List.iter (fun t -> Printf.printf "  dist 0 -> %d = %d\n" t dist.(t)) [ 1; 10; 100; 500; 1000; 1999 ];
  let reachable = Array.fold_left (fun a d -> if d < max_int then a + 1 else a) 0 dist in
  let far = Array.fold_left (fun a d -> if d < max_int then max a d else a) 0 dist in
  Printf.printf "reachable %d, farthest %d\n" reachable far;
  (try ignore (IH.pop (IH.create ())) with IH.Empty -> prerr_endline "pop on empty heap: Empty");
  if far > 100 then (Printf.eprintf "priority_queue: exiting with code 7\n"; exit 7)
