open Tup

let ints l = String.concat " " (List.map string_of_int l)

let () =
  let pairs = [ (1, 2); (3, 4); (5, 6) ] in
  Printf.printf "t2 map: %s\n" (ints (List.map t2 pairs));
  Printf.printf "swap: %s\n" (String.concat " " (List.map (fun (a, b) -> Printf.sprintf "(%d,%d)" a b) (List.map swap pairs)));
  let triples = [ (1, 2, 3); (4, 5, 6); (7, 8, 9) ] in
  Printf.printf "t3 map: %s\n" (ints (List.map t3 triples));
  Printf.printf "t4 map: %s\n" (ints (List.map t4 [ (1, 2, 3, 4); (5, 6, 7, 8) ]));
  Printf.printf "t5 map: %s\n" (ints (List.map t5 [ (1, 2, 3, 4, 5); (10, 20, 30, 40, 50) ]));
  Printf.printf "t6 map: %s\n" (ints (List.map t6 [ (1, 2, 3, 4, 5, 6); (6, 5, 4, 3, 2, 1) ]));
  Printf.printf "t7 map: %s\n" (String.concat " " (List.map t7 [ (1, 2, 3, 4, 5, 6, 7); (7, 6, 5, 4, 3, 2, 1) ]));
  Printf.printf "t8 map: %s\n" (ints (List.map t8 [ (1, 2, 3, 4, 5, 6, 7, 8); (8, 8, 8, 8, 8, 8, 8, 8) ]));
  Printf.printf "t9 map: %s\n" (ints (List.map t9 [ (1, 1, 1, 2, 2, 2, 3, 3, 3); (1, 2, 3, 4, 5, 6, 7, 8, 9) ]));
  Printf.printf "names: %s\n" (String.concat ", " (List.map name_age [ ("ann", 31); ("bob", 42) ]));
  Printf.printf "fmix: %s\n" (String.concat ", " (List.map fmix [ (1.5, 2., "a"); (0.25, 4., "b") ]));
  List.iter (fun { Store.label; fn } -> Printf.printf "%s -> %s\n" label (ints (List.map fn triples))) Store.triples;
  List.iter
    (fun k ->
      let f = Hashtbl.find Store.table k in
      Printf.printf "table %s: %s\n" k (ints (List.map f pairs)))
    [ "t2"; "diff"; "mul" ];
  Array.iteri (fun i f -> Printf.printf "arr4[%d] (9,3,2,1) = %d\n" i (f (9, 3, 2, 1))) Store.arr4;
  (* opaque tuplified closures applied directly to a tuple *)
  let g = Sys.opaque_identity t9 in
  let tup = Sys.opaque_identity (9, 8, 7, 6, 5, 4, 3, 2, 1) in
  Printf.printf "opaque t9: %d\n" (g tup);
  let h = Sys.opaque_identity t5 in
  Printf.printf "opaque t5 literal: %d\n" (h (5, 4, 3, 2, 1));
  (* combine / split *)
  let l1 = List.init 20 (fun i -> i) and l2 = List.init 20 (fun i -> i * i) in
  let comb = List.combine l1 l2 in
  Printf.printf "sum t2 over 20: %d\n" (List.fold_left ( + ) 0 (List.map t2 comb));
  let a, b = List.split (List.map swap comb) in
  Printf.printf "split heads: %d %d\n" (List.hd a) (List.nth b 19);
  let sorted = List.sort (fun (a, _) (b, _) -> compare b a) comb in
  Printf.printf "sorted first: %s\n" (name_age ("x", fst (List.hd sorted)));
  let pick = List.filter (fun (a, b, c) -> t3 (a, b, c) > 20) triples in
  Printf.printf "filter: %d\n" (List.length pick);
  Printf.eprintf "tuplified: %d entries checked\n" (Hashtbl.length Store.table)
