let () =
  let inv = Inventory.create () in
  Inventory.add inv "apple" 10 0.5;
  Inventory.add inv "pear" 5 0.75;
  Inventory.add inv "plum" 20 0.2;
  Inventory.add inv "apple" 5 0.5;
  Inventory.remove inv "plum" 7;
  (try Inventory.remove inv "pear" 100
   with Inventory.Insufficient (s, q) -> Printf.printf "cannot sell 100 %s, only %d\n" s q);
  (try Inventory.remove inv "kiwi" 1 with Not_found -> print_endline "no kiwi");
  List.iter (fun (it : Inventory.item) -> it.tags <- [ String.sub it.sku 0 1 ]) (Inventory.sorted_items inv);
  List.iter (fun (it : Inventory.item) -> Printf.printf "%-6s qty %3d price %.2f tags %s\n" it.sku it.qty it.price (String.concat "," it.tags))
    (Inventory.sorted_items inv);
  Printf.printf "value %.2f ops %d\n" (Inventory.value inv) inv.total_ops;
  List.iter print_endline (List.rev inv.log);
  let g = Grid.make () in
  List.iter (fun (x, y) -> Grid.set g x y true) [ (1, 0); (2, 1); (0, 2); (1, 2); (2, 2); (10, 5); (11, 5); (12, 5) ];
  let g = ref g in
  for gen = 0 to 30 do
    if gen mod 10 = 0 then (Printf.printf "generation %d, population %d\n" gen (Grid.population !g); Grid.print !g);
    g := Grid.step !g
  done;
  let a = Array.init 1000 (fun i -> float_of_int ((i * 37) mod 101)) in
  let mean, sd = Grid.stats a in
  Printf.printf "mean %.4f sd %.4f\n" mean sd;
  Array.sort compare a;
  Printf.printf "median %.1f\n" a.(500);
  let fa = Float.Array.init 10 (fun i -> float_of_int i /. 4.) in
  Printf.printf "Float.Array: %s\n" (String.concat " " (List.map (Printf.sprintf "%.2f") (Float.Array.to_list fa)));
  let b = Bytes.of_string "Hello, Bytes!" in
  Bytes.blit_string "JELLO" 0 b 0 5;
  Bytes.fill b 7 5 '*';
  Printf.printf "%s %d %s\n" (Bytes.to_string b) (Bytes.length b) (Bytes.to_string (Bytes.uppercase_ascii b));
  let b2 = Bytes.create 8 in
  Bytes.set_int32_le b2 0 0x01020304l;
  Bytes.set_int16_be b2 4 0xABCD;
  Bytes.set_uint8 b2 6 255;
  Bytes.set b2 7 'Z';
  Printf.printf "bytes hex: %s\n" (String.concat "" (List.init 8 (fun i -> Printf.sprintf "%02x" (Char.code (Bytes.get b2 i)))));
  Printf.printf "read back %ld %d %d\n" (Bytes.get_int32_le b2 0) (Bytes.get_uint16_be b2 4) (Bytes.get_int8 b2 6);
  let m = Array.make_matrix 5 5 0 in
  Array.iteri (fun i row -> Array.iteri (fun j _ -> row.(j) <- (i + 1) * (j + 1)) row) m;
  Array.iter (fun row -> print_endline (String.concat "\t" (Array.to_list (Array.map string_of_int row)))) m;
  let blit = Array.make 10 0 in
  Array.blit [| 1; 2; 3 |] 0 blit 4 3;
  Printf.printf "blit %s, sub %s\n" (String.concat "" (Array.to_list (Array.map string_of_int blit)))
    (String.concat "" (Array.to_list (Array.map string_of_int (Array.sub blit 3 4))));
  prerr_endline "records: oversell next";
  Inventory.remove inv "apple" 1000
