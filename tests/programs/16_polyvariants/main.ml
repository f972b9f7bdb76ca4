let () =
  let cs : Colors.extended list = [ `Red; `Green; `Blue; `Rgb (10, 20, 30); `Named "teal"; `Rgb (250, 100, 0) ] in
  List.iter (fun c ->
    let r, g, b = Colors.to_rgb c in
    Printf.printf "%-16s -> %3d %3d %3d\n" (Colors.to_string c) r g b) cs;
  List.iter (fun c -> print_endline (Colors.to_string (Colors.brighten c)))
    [ `Red; `Rgb (230, 0, 100); `Blue ];
  let evs : Events.event list =
    [ `Key 'a'; `Click (10, 20); `Move (3, 4); `Scroll 1.5; `Tick 7; `Quit ] in
  List.iter (fun e -> Printf.printf "%s (mouse=%b)\n" (Events.describe e) (Events.is_mouse e)) evs;
  let extra = [ `Custom "hello"; `Key 'z'; `Tick 99 ] in
  List.iter (fun e -> print_endline (Events.handle_extra ~fallback:Events.describe e)) extra;
  let doc : Events.json =
    `Assoc [ ("name", `String "camlsym"); ("version", `Int 4131); ("native", `Bool true);
             ("deps", `List [ `String "stdlib"; `Null ]);
             ("nested", `Assoc [ ("depth", `List [ `Int 1; `List [ `Int 2; `List [ `Int 3 ] ] ]) ]) ] in
  print_endline (Events.json_to_string doc);
  (* hashes of variant tags are stable *)
  let tags = [ Obj.repr `Red; Obj.repr `Green; Obj.repr `Quit ] in
  List.iter (fun t -> Printf.printf "tag hash %d\n" (Obj.obj t : int)) tags;
  let counts = Hashtbl.create 8 in
  let bump k = Hashtbl.replace counts k (1 + Option.value ~default:0 (Hashtbl.find_opt counts k)) in
  for i = 0 to 9999 do
    bump (match i mod 5 with 0 -> `A | 1 -> `B | 2 -> `C | 3 -> `A | _ -> `D)
  done;
  List.iter (fun k -> Printf.printf "count %s %d\n" (match k with `A -> "A" | `B -> "B" | `C -> "C" | `D -> "D") (Hashtbl.find counts k)) [ `A; `B; `C; `D ];
  Printf.eprintf "polyvariants: %d events\n" (List.length evs)
