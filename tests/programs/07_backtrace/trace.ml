let show_backtrace label bt =
  let lines = String.split_on_char '\n' (String.trim bt) in
  Printf.printf "-- %s: %d backtrace lines\n" label (List.length lines);
  List.iter (fun l -> Printf.printf "   %s\n" l) lines

let slots_summary bt =
  match Printexc.backtrace_slots bt with
  | None -> "no slots"
  | Some slots ->
      let n = Array.length slots in
      let located =
        Array.fold_left
          (fun acc s -> match Printexc.Slot.location s with Some _ -> acc + 1 | None -> acc)
          0 slots
      in
      Printf.sprintf "%d slots, %d located" n located
