let () =
  let n = 100_000 in
  let l = Rec_lists.build n in
  Printf.printf "build %d: length %d, sum %d\n" n (List.length l) (Rec_lists.sum l);
  let l2 = Rec_lists.map (fun x -> x * 2) l in
  Printf.printf "map: head %d, sum %d\n" (List.hd l2) (Rec_lists.sum l2);
  let l3 = Rec_lists.append l2 l in
  Printf.printf "append: length %d\n" (Rec_lists.length_nt l3);
  Printf.printf "even/odd depth 300000: %d\n" (Rec_lists.even_depth 300_000);
  Printf.printf "harmonic 100000: %.6f\n" (Rec_lists.harmonic 100_000);
  let stdmap = List.map (fun x -> x + 1) l in
  Printf.printf "List.map on 100000: last %d\n" (List.nth stdmap (n - 1));
  let t = Rec_trees.comb 100_000 in
  Printf.printf "comb tree: size %d depth %d\n" (Rec_trees.size t) (Rec_trees.depth t);
  let m = Rec_trees.mirror t in
  Printf.printf "mirror: depth %d, fold sum %d\n" (Rec_trees.depth m) (Rec_trees.fold ( + ) 0 m);
  let b = Rec_trees.balanced 1 100_000 in
  Printf.printf "balanced: size %d depth %d\n" (Rec_trees.size b) (Rec_trees.depth b);
  Printf.printf "ack 2 300 = %d, ack 3 5 = %d\n" (Rec_trees.ack 2 300) (Rec_trees.ack 3 5);
  (* exceptions crossing many frames *)
  let rec dive k = if k = 0 then raise Exit else 1 + dive (k - 1) in
  (match dive 100_000 with _ -> () | exception Exit -> print_endline "Exit crossed 100000 frames");
  let rec dive_handler k = if k = 0 then failwith "bottom" else try 1 + dive_handler (k - 1) with Not_found -> 0 in
  (match dive_handler 50_000 with
   | _ -> ()
   | exception Failure m -> Printf.printf "Failure %S crossed 50000 handlers\n" m);
  let s = String.concat "" (List.map string_of_int (Rec_lists.build 1000)) in
  Printf.printf "digits string length %d\n" (String.length s);
  prerr_endline "deep_recursion: ok"
