exception Error of int * string

let parse s =
  let pos = ref 0 in
  let n = String.length s in
  let peek () = if !pos < n then s.[!pos] else '\000' in
  let err m = raise (Error (!pos, m)) in
  let rec ws () = if !pos < n && (match s.[!pos] with ' ' | '\n' | '\t' | '\r' -> true | _ -> false) then (incr pos; ws ()) in
  let expect c = ws (); if peek () = c then incr pos else err (Printf.sprintf "expected %C" c) in
  let lit w v = if !pos + String.length w <= n && String.sub s !pos (String.length w) = w then (pos := !pos + String.length w; v) else err "bad literal" in
  let rec value () =
    ws ();
    match peek () with
    | 'n' -> lit "null" Json.Null
    | 't' -> lit "true" (Json.Bool true)
    | 'f' -> lit "false" (Json.Bool false)
    | '"' -> Json.Str (str ())
    | '[' -> incr pos; ws ();
        if peek () = ']' then (incr pos; Json.Arr [])
        else let rec items acc = let v = value () in ws (); match peek () with ',' -> incr pos; items (v :: acc) | ']' -> incr pos; Json.Arr (List.rev (v :: acc)) | _ -> err "expected , or ]" in items []
    | '{' -> incr pos; ws ();
        if peek () = '}' then (incr pos; Json.Obj [])
        else let rec fields acc = ws (); let k = str () in expect ':'; let v = value () in ws (); match peek () with ',' -> incr pos; fields ((k, v) :: acc) | '}' -> incr pos; Json.Obj (List.rev ((k, v) :: acc)) | _ -> err "expected , or }" in fields []
    | '-' | '0' .. '9' ->
        let start = !pos in
        while !pos < n && (match s.[!pos] with '-' | '+' | '.' | 'e' | 'E' | '0' .. '9' -> true | _ -> false) do incr pos done;
        Json.Num (float_of_string (String.sub s start (!pos - start)))
    | _ -> err "unexpected character"
  and str () =
    if peek () <> '"' then err "expected string";
    incr pos;
    let b = Buffer.create 16 in
    let rec loop () =
      match peek () with
      | '"' -> incr pos
      | '\\' -> incr pos; let c = peek () in incr pos;
          (match c with 'n' -> Buffer.add_char b '\n' | 't' -> Buffer.add_char b '\t'
           | 'u' -> Buffer.add_char b (Char.chr (int_of_string ("0x" ^ String.sub s !pos 4))); pos := !pos + 4
           | c -> Buffer.add_char b c); loop ()
      | '\000' -> err "unterminated string"
      | c -> Buffer.add_char b c; incr pos; loop ()
    in
    loop (); Buffer.contents b
  in
  let v = value () in
  ws ();
  if !pos <> n then err "trailing characters";
  v
