(* Pretty printers for use with %a. *)
type point = { px : int; py : int }
type tree = Leaf of string | Node of string * tree list

let pp_point fmt p = Format.fprintf fmt "@[<h>{x=%d;@ y=%d}@]" p.px p.py
let pp_list pp fmt l =
  Format.fprintf fmt "@[<hov 1>[%a]@]" (Format.pp_print_list ~pp_sep:(fun f () -> Format.fprintf f ";@ ") pp) l

let rec pp_tree fmt = function
  | Leaf s -> Format.fprintf fmt "%s" s
  | Node (n, children) ->
      Format.fprintf fmt "@[<v 2>%s:@,%a@]" n
        (Format.pp_print_list ~pp_sep:Format.pp_print_cut pp_tree) children

let point_to_buffer b p = Printf.bprintf b "<%d,%d>" p.px p.py
let out_point oc p = Printf.fprintf oc "P(%d,%d)" p.px p.py
let str_point () p = Printf.sprintf "p%d_%d" p.px p.py
