module type PLUGIN = sig
  val name : string
  val version : int
  val run : string -> string
end

let registry : (string, (module PLUGIN)) Hashtbl.t = Hashtbl.create 8
let order : string list ref = ref []

let register (module P : PLUGIN) =
  Hashtbl.replace registry P.name (module P : PLUGIN);
  order := P.name :: !order

let () =
  register (module struct let name = "upper" let version = 1 let run = String.uppercase_ascii end);
  register (module struct
    let name = "reverse"
    let version = 2
    let run s = String.init (String.length s) (fun i -> s.[String.length s - 1 - i])
  end);
  register (module struct
    let name = "count"
    let version = 3
    let run s = Printf.sprintf "%d chars" (String.length s)
  end)

let get name = Hashtbl.find registry name
let names () = List.rev !order
