(* One way to trigger each of the 12 predefined exceptions. *)
let[@inline never] opaque x = Sys.opaque_identity x

let out_of_memory () = raise Out_of_memory
let stack_overflow () = raise Stack_overflow
let sys_error () = open_in "/nonexistent/camlsym/file.txt"
let failure () = failwith "custom failure"
let invalid_argument () = List.nth [ 1; 2 ] (opaque (-1))
let invalid_argument2 () = String.sub "abc" 2 (opaque 5)
let end_of_file () =
  let ic = open_in_bin Sys.executable_name in
  seek_in ic (in_channel_length ic);
  Fun.protect ~finally:(fun () -> close_in ic) (fun () -> input_line ic)
let division_by_zero () = string_of_int (100 / opaque 0)
let modulo_by_zero () = string_of_int (100 mod opaque 0)
let not_found () = List.assoc "missing" [ ("a", "1"); ("b", "2") ]
let not_found2 () = Hashtbl.find (Hashtbl.create 1 : (int, string) Hashtbl.t) 3

type color = Red | Green | Blue
let[@warning "-8"] match_failure c = match c with Red -> "red" | Green -> "green"
let sys_blocked_io () = raise Sys_blocked_io
let assert_failure () = assert (opaque 1 = 2); "unreachable"

module Make (X : sig end) = struct
  module rec A : sig val f : unit -> int end = struct let f () = B.x + 1 end
  and B : sig val x : int end = struct let x = A.f () end
end

let undefined_recursive_module () =
  let module M = Make (struct end) in
  string_of_int M.B.x

let array_bounds () = string_of_int (opaque [| 1; 2; 3 |]).(opaque 7)
let char_of_int_bad () = String.make 1 (Char.chr (opaque 300))
let int_of_string_bad () = string_of_int (int_of_string (opaque "12x"))
