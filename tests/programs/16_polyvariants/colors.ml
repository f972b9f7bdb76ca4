type basic = [ `Red | `Green | `Blue ]
type extended = [ basic | `Rgb of int * int * int | `Named of string ]

let basic_to_string : [< basic ] -> string = function `Red -> "red" | `Green -> "green" | `Blue -> "blue"

let to_string : [< extended ] -> string = function
  | #basic as b -> basic_to_string b
  | `Rgb (r, g, b) -> Printf.sprintf "rgb(%d,%d,%d)" r g b
  | `Named n -> "named:" ^ n

let to_rgb : extended -> int * int * int = function
  | `Red -> (255, 0, 0)
  | `Green -> (0, 255, 0)
  | `Blue -> (0, 0, 255)
  | `Rgb (r, g, b) -> (r, g, b)
  | `Named _ -> (128, 128, 128)

let brighten = function
  | `Rgb (r, g, b) -> `Rgb (min 255 (r + 40), min 255 (g + 40), min 255 (b + 40))
  | #basic as c -> c
