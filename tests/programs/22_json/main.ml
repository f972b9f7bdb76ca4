let sample =
  {|{"name": "camlsym", "version": 4.13, "tags": ["ocaml", "linker", "startup"],
     "nested": {"a": [1, 2, {"b": null}], "ok": true, "no": false, "esc": "line\nbreak \"quoted\" \u0041"},
     "numbers": [0, -1, 3.5, 1e3, 12345678901234, 0.1], "empty": [], "eobj": {}}|}

let rec count = function
  | Json.Arr l -> 1 + List.fold_left (fun a v -> a + count v) 0 l
  | Json.Obj kv -> 1 + List.fold_left (fun a (_, v) -> a + count v) 0 kv
  | _ -> 1

let () =
  let v = Jparse.parse sample in
  print_endline (Json.to_string v);
  Format.printf "%a@." Json.pp v;
  Printf.printf "nodes: %d\n" (count v);
  let again = Jparse.parse (Json.to_string v) in
  Printf.printf "roundtrip equal: %b\n" (again = v);
  let big = Json.Arr (List.init 300 (fun i -> Json.Obj [ ("id", Json.Num (float_of_int i)); ("sq", Json.Num (float_of_int (i * i)));
                                                        ("name", Json.Str (Printf.sprintf "item-%03d" i)); ("even", Json.Bool (i mod 2 = 0)) ])) in
  let s = Json.to_string big in
  Printf.printf "big: %d chars, digest %s\n" (String.length s) (Digest.to_hex (Digest.string s));
  let parsed = Jparse.parse s in
  Printf.printf "big roundtrip: %b nodes %d\n" (parsed = big) (count parsed);
  Format.set_margin 60;
  Format.printf "%a@." Json.pp (Json.Obj [ ("small", Json.Arr [ Json.Num 1.; Json.Num 2. ]); ("s", Json.Str "tab\there") ]);
  List.iter (fun bad ->
    match Jparse.parse bad with
    | _ -> Printf.printf "parsed %S?\n" bad
    | exception Jparse.Error (p, m) -> Printf.printf "error in %S at %d: %s\n" bad p m; Printf.eprintf "json error: %s\n" m)
    [ "[1, 2"; "{\"a\" 1}"; "tru"; "[1] x"; "\"open" ];
  prerr_endline "json: last one is fatal";
  ignore (Jparse.parse "{\"unterminated\": [1, 2, 3}")
