let text =
  "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox \
   runs. A fox, a dog, and the OCaml compiler: the compiler links the fox \
   and the dog, and camlsym links them too."

let () =
  let m = Freq.count (Text.words text) in
  Printf.printf "%d distinct words\n" (Freq.SMap.cardinal m);
  List.iter (fun p -> print_endline (Freq.show ~width:10 p)) (Freq.top 6 m);
  let shout = object method say s n = String.concat " " (List.init n (fun _ -> String.uppercase_ascii s)) end in
  print_endline (shout#say "linked" 3);
  match List.assoc "zebra" (Freq.SMap.bindings m) with
  | _ -> ()
  | exception Not_found -> prerr_endline "no zebra in the text"
