(* Open polymorphic variants for an event system. *)
type key = [ `Key of char ]
type mouse = [ `Click of int * int | `Move of int * int | `Scroll of float ]
type event = [ key | mouse | `Quit | `Tick of int ]

let describe : [< event ] -> string = function
  | `Key c -> Printf.sprintf "key %C" c
  | `Click (x, y) -> Printf.sprintf "click %d,%d" x y
  | `Move (x, y) -> Printf.sprintf "move %d,%d" x y
  | `Scroll d -> Printf.sprintf "scroll %.1f" d
  | `Quit -> "quit"
  | `Tick n -> Printf.sprintf "tick %d" n

let is_mouse = function #mouse -> true | #key | `Quit | `Tick _ -> false

let handle_extra ~fallback = function `Custom s -> "custom " ^ s | #event as e -> fallback e

type json = [ `Null | `Bool of bool | `Int of int | `String of string | `List of json list | `Assoc of (string * json) list ]

let rec json_to_string : json -> string = function
  | `Null -> "null"
  | `Bool b -> string_of_bool b
  | `Int i -> string_of_int i
  | `String s -> Printf.sprintf "%S" s
  | `List l -> "[" ^ String.concat "," (List.map json_to_string l) ^ "]"
  | `Assoc kv -> "{" ^ String.concat "," (List.map (fun (k, v) -> Printf.sprintf "%S:%s" k (json_to_string v)) kv) ^ "}"
