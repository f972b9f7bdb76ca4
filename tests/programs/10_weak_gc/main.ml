module WS = Weak.Make (struct
  type t = string
  let equal = String.equal
  let hash = Hashtbl.hash
end)

let () =
  print_endline "== finalisers ==";
  let kept = List.init 50 (fun i -> Final.make (1000 + i)) in
  for i = 1 to 200 do ignore (Sys.opaque_identity (Final.make i)) done;
  let lasts = List.init 10 (fun i -> Final.make_last i) in
  ignore (Sys.opaque_identity lasts);
  Gc.full_major ();
  Gc.full_major ();
  Printf.printf "finalised %d, sum %d\n" !Final.finalised !Final.finalised_sum;
  Printf.printf "kept alive: %d, first id %d\n" (List.length kept) (List.hd kept).Final.id;
  Printf.printf "finalise_last so far: %d\n" (List.length !Final.last_finalised);
  let lasts = Sys.opaque_identity [] in
  ignore lasts;
  print_endline "== ephemeron cache ==";
  let keys = List.init 20 (fun i -> "key" ^ string_of_int i) in
  let hits = ref 0 in
  List.iter
    (fun k ->
      let v, hit = Cache.lookup k String.length in
      if hit then incr hits;
      ignore v)
    (keys @ keys @ keys);
  Printf.printf "cache hits %d (of 60 lookups), live entries %d\n" !hits (Cache.EH.length Cache.cache);
  Printf.printf "lookup key3 -> %d\n" (fst (Cache.lookup "key3" (fun _ -> -1)));
  ignore (Sys.opaque_identity keys);
  print_endline "== weak array ==";
  let keep = ref [] in
  Cache.fill_weak keep;
  Printf.printf "weak set: %d live before GC\n" (Cache.count_weak ());
  Gc.full_major ();
  let live = Cache.count_weak () in
  Printf.printf "weak after GC: at least kept ones live: %b, none beyond 64: %b\n"
    (live >= List.length !keep) (live <= 64);
  Printf.printf "kept strings: %s\n" (String.concat "," (List.rev !keep));
  (match Weak.get Cache.weak_arr 0 with
   | Some s -> Printf.printf "slot 0 (kept): %s\n" s
   | None -> print_endline "slot 0 lost!");
  print_endline "== weak hash set ==";
  let ws = WS.create 32 in
  let strong = List.init 30 (fun i -> WS.merge ws ("w" ^ string_of_int (i mod 10))) in
  Printf.printf "weak set count (<=10): %b, merge shares: %b\n" (WS.count ws <= 10)
    (List.nth strong 0 == List.nth strong 10);
  Printf.printf "mem w3 %b mem zz %b\n" (WS.mem ws "w3") (WS.mem ws "zz");
  ignore (Sys.opaque_identity strong);
  print_endline "== Gc stats (stable fields only) ==";
  let c = Gc.get () in
  Printf.printf "space_overhead setting is positive: %b\n" (c.Gc.space_overhead > 0);
  Gc.compact ();
  let st = Gc.quick_stat () in
  Printf.printf "compactions >= 1: %b, major collections >= 2: %b\n" (st.Gc.compactions >= 1)
    (st.Gc.major_collections >= 2);
  let alarm_count = ref 0 in
  let alarm = Gc.create_alarm (fun () -> incr alarm_count) in
  Gc.full_major ();
  Gc.delete_alarm alarm;
  Printf.printf "alarm fired: %b\n" (!alarm_count > 0);
  Printf.eprintf "weak_gc: %d finalisers ran\n" !Final.finalised;
  exit 3
