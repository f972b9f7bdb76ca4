(* Uses the str library. *)
let emails s =
  let re = Str.regexp "[a-z.]+@[a-z]+\\.[a-z]+" in
  let rec go pos acc = match Str.search_forward re s pos with
    | p -> go (p + String.length (Str.matched_string s)) (Str.matched_string s :: acc)
    | exception Not_found -> List.rev acc in
  go 0 []

let dates s =
  let re = Str.regexp "\\([0-9][0-9][0-9][0-9]\\)-\\([0-9][0-9]\\)-\\([0-9][0-9]\\)" in
  match Str.search_forward re s 0 with
  | _ -> Some (Str.matched_group 1 s, Str.matched_group 2 s, Str.matched_group 3 s)
  | exception Not_found -> None

let redact_phones s = Str.global_replace (Str.regexp "[0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]") "XXX-XXXX" s
let split_sentences s = Str.split (Str.regexp "[.;!?]+[ \n]*") s
let swap_words s = Str.global_replace (Str.regexp "\\([a-z]+\\) \\([a-z]+\\)") "\\2 \\1" s
