type t = Null | Bool of bool | Num of float | Str of string | Arr of t list | Obj of (string * t) list

let escape s =
  let b = Buffer.create (String.length s + 2) in
  Buffer.add_char b '"';
  String.iter (function
    | '"' -> Buffer.add_string b "\\\"" | '\\' -> Buffer.add_string b "\\\\"
    | '\n' -> Buffer.add_string b "\\n" | '\t' -> Buffer.add_string b "\\t"
    | c when Char.code c < 0x20 -> Buffer.add_string b (Printf.sprintf "\\u%04x" (Char.code c))
    | c -> Buffer.add_char b c) s;
  Buffer.add_char b '"';
  Buffer.contents b

let num_to_string f = if Float.is_integer f && Float.abs f < 1e15 then Printf.sprintf "%.0f" f else Printf.sprintf "%.17g" f

let rec to_string = function
  | Null -> "null" | Bool b -> string_of_bool b | Num f -> num_to_string f | Str s -> escape s
  | Arr l -> "[" ^ String.concat "," (List.map to_string l) ^ "]"
  | Obj kv -> "{" ^ String.concat "," (List.map (fun (k, v) -> escape k ^ ":" ^ to_string v) kv) ^ "}"

let rec pp ppf = function
  | Arr [] -> Format.fprintf ppf "[]"
  | Obj [] -> Format.fprintf ppf "{}"
  | Arr l -> Format.fprintf ppf "@[<hv 2>[@,%a@;<0 -2>]@]" (Format.pp_print_list ~pp_sep:(fun f () -> Format.fprintf f ",@ ") pp) l
  | Obj kv ->
      Format.fprintf ppf "@[<hv 2>{@,%a@;<0 -2>}@]"
        (Format.pp_print_list ~pp_sep:(fun f () -> Format.fprintf f ",@ ") (fun f (k, v) -> Format.fprintf f "@[<hv 2>%s:@ %a@]" (escape k) pp v)) kv
  | v -> Format.pp_print_string ppf (to_string v)
