let () =
  let ws = Text.words Text.corpus in
  Printf.printf "%d words\n" (List.length ws);
  let freq = Hashtbl.create 64 in
  List.iter (fun w -> Hashtbl.replace freq w (1 + Option.value ~default:0 (Hashtbl.find_opt freq w))) ws;
  let top = List.sort (fun (a, x) (b, y) -> if x <> y then compare y x else compare a b) (Hashtbl.fold (fun k v acc -> (k, v) :: acc) freq []) in
  List.iteri (fun i (w, c) -> if i < 8 then Printf.printf "  %-8s %d\n" w c) top;
  List.iter (fun s -> Printf.printf "palindrome %b: %s\n" (Text.is_palindrome s) s)
    [ "A man, a plan, a canal: Panama"; "Was it a car or a cat I saw"; "camlsym"; "Step on no pets" ];
  let enc = Text.caesar 13 "Hello, World! OCaml rocks." in
  Printf.printf "rot13: %s -> %s\n" enc (Text.caesar 13 enc);
  Printf.printf "rle: %s\n" (Text.rle "aaabccddddde");
  List.iter (fun (a, b) -> Printf.printf "lev(%s,%s) = %d\n" a b (Text.levenshtein a b))
    [ ("kitten", "sitting"); ("ocamlopt", "camlsym"); ("", "abc"); ("flaw", "lawn") ];
  Printf.printf "emails: %s\n" (String.concat ", " (Regex.emails Text.corpus));
  (match Regex.dates Text.corpus with
   | Some (y, m, d) -> Printf.printf "date: day %s month %s year %s\n" d m y
   | None -> print_endline "no date");
  print_endline (Regex.redact_phones "call 555-0100 or 555-0199 now");
  List.iteri (fun i s -> Printf.printf "sentence %d: %s\n" i (String.escaped s)) (Regex.split_sentences Text.corpus);
  print_endline (Regex.swap_words "one two three four");
  Printf.printf "trim [%s] index %d rindex %d contains %b\n" (String.trim "  padded \t") (String.index "hello" 'l') (String.rindex "hello" 'l')
    (String.length "abc" > 0 && String.contains "abc" 'b');
  Printf.printf "starts %b ends %b cap %s uncap %s\n" (String.starts_with ~prefix:"cam" "camlsym") (String.ends_with ~suffix:"sym" "camlsym")
    (String.capitalize_ascii "ocaml") (String.uncapitalize_ascii "OCaml");
  let long = String.concat "," (List.init 2000 string_of_int) in
  Printf.printf "long: %d chars, %d fields, digest %s\n" (String.length long) (List.length (String.split_on_char ',' long)) (Digest.to_hex (Digest.string long));
  prerr_endline (Printf.sprintf "strings: %d distinct words" (Hashtbl.length freq))
