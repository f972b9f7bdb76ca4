let roundtrip v flags : 'a = Marshal.from_string (Marshal.to_string v flags) 0

let () =
  let items = List.init 12 Data.sample in
  let s = Marshal.to_string items [] in
  Printf.printf "marshalled %d records: %d bytes, digest %s\n" (List.length items) (String.length s)
    (Digest.to_hex (Digest.string s));
  Printf.printf "header says data size %d total %d\n" (Marshal.data_size (Bytes.of_string s) 0)
    (Marshal.total_size (Bytes.of_string s) 0);
  let back : Data.record list = Marshal.from_string s 0 in
  List.iter (fun r -> print_endline (Data.to_string r)) back;
  Printf.printf "structural equality after roundtrip: %b\n" (back = items);
  (* sharing *)
  let shared = Data.sample 4 in
  let pair = (shared, shared) in
  let (a : Data.record), b = roundtrip pair [] in
  a.hits <- 12345;
  Printf.printf "sharing preserved: %b (b.hits=%d)\n" (a == b) b.Data.hits;
  let (a2 : Data.record), b2 = roundtrip pair [ Marshal.No_sharing ] in
  a2.hits <- 1;
  Printf.printf "no_sharing: physically equal %b (b2.hits=%d)\n" (a2 == b2) b2.Data.hits;
  (* cyclic data *)
  let rec cyc = 1 :: 2 :: 3 :: cyc in
  let cyc2 : int list = roundtrip cyc [] in
  Printf.printf "cyclic: %d %d %d %d\n" (List.nth cyc2 0) (List.nth cyc2 4) (List.nth cyc2 8) (List.nth cyc2 100);
  let t = Data.build 1 5000 in
  let ts = Marshal.to_string t [] in
  let t2 : Data.tree = Marshal.from_string ts 0 in
  Printf.printf "tree: %d bytes, sum %d -> %d\n" (String.length ts) (Data.sum t) (Data.sum t2);
  let big = String.make 70000 'z' and fl = 3.25 and i64 = 0x1234_5678_9abcL in
  let b, f, i = roundtrip (big, fl, i64) [] in
  Printf.printf "big string %d, float %.2f, int64 %Lx\n" (String.length b) f i;
  (* closures *)
  print_endline "== closures ==";
  let add7 = Closures.make_adder 7 in
  let add7' : int -> int = roundtrip add7 [ Marshal.Closures ] in
  Printf.printf "add7' 1 = %d\n" (add7' 1);
  let fmt : int -> string = roundtrip (Closures.make_formatter "n=") [ Marshal.Closures ] in
  print_endline (String.concat " " (List.map fmt [ 1; 2; 3 ]));
  let composed : int -> int =
    roundtrip (Closures.compose (Closures.make_adder 1) Closures.fact) [ Marshal.Closures ]
  in
  Printf.printf "composed 5 = %d\n" (composed 5);
  let fs = [ (fun x -> x + 1); (fun x -> x * 3); Closures.fact; List.length |> fun g x -> g [ x; x ] ] in
  let fs' : (int -> int) list = roundtrip fs [ Marshal.Closures ] in
  Printf.printf "closure list: %s\n" (String.concat " " (List.map (fun f -> string_of_int (f 6)) fs'));
  (try ignore (Marshal.to_string add7 [])
   with Invalid_argument m -> Printf.printf "without Closures flag: Invalid_argument %s\n" m);
  print_endline "== hashtable of closures ==";
  let keys = [ "double"; "square"; "fact"; "adder5"; "neg"; "missing" ] in
  List.iter
    (fun k ->
      match Hashtbl.find_opt Closures.registry k with
      | Some f -> Printf.printf "%s 6 = %d (bindings %d)\n" k (f 6) (List.length (Hashtbl.find_all Closures.registry k))
      | None -> Printf.printf "%s: none\n" k)
    keys;
  let reg' : (string, int -> int) Hashtbl.t = roundtrip Closures.registry [ Marshal.Closures ] in
  Printf.printf "marshalled registry size %d, fact 10 = %d\n" (Hashtbl.length reg') ((Hashtbl.find reg' "fact") 10);
  let sorted = List.sort compare (Hashtbl.fold (fun k _ acc -> k :: acc) reg' []) in
  Printf.printf "keys: %s\n" (String.concat "," sorted);
  (* channel marshalling through a temp file *)
  let file = Filename.temp_file "camlsym" ".bin" in
  let oc = open_out_bin file in
  Marshal.to_channel oc (items, add7) [ Marshal.Closures ];
  Marshal.to_channel oc "second value" [];
  close_out oc;
  let ic = open_in_bin file in
  let (items2 : Data.record list), (add7'' : int -> int) = Marshal.from_channel ic in
  let (second : string) = Marshal.from_channel ic in
  close_in ic;
  Sys.remove file;
  Printf.printf "from channel: %d items, add7'' 10 = %d, %s\n" (List.length items2) (add7'' 10) second;
  prerr_endline "marshal: done"
