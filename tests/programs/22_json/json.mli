type t = Null | Bool of bool | Num of float | Str of string | Arr of t list | Obj of (string * t) list

val escape : string -> string
val to_string : t -> string
val pp : Format.formatter -> t -> unit
