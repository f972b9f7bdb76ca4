exception Custom of string * int
exception Wrapped of exn

let () =
  Printexc.register_printer (function
    | Wrapped e -> Some ("Wrapped<" ^ Printexc.to_string e ^ ">")
    | _ -> None)

let classify = function
  | Out_of_memory -> "Out_of_memory"
  | Stack_overflow -> "Stack_overflow"
  | Sys_error _ -> "Sys_error"
  | Failure _ -> "Failure"
  | Invalid_argument _ -> "Invalid_argument"
  | End_of_file -> "End_of_file"
  | Division_by_zero -> "Division_by_zero"
  | Not_found -> "Not_found"
  | Match_failure _ -> "Match_failure"
  | Sys_blocked_io -> "Sys_blocked_io"
  | Assert_failure _ -> "Assert_failure"
  | Undefined_recursive_module _ -> "Undefined_recursive_module"
  | Custom _ -> "Custom"
  | _ -> "other"

let seen = Hashtbl.create 16

let try_one name f =
  match f () with
  | v -> Printf.printf "%-28s returned %S\n" name v
  | exception e ->
      Hashtbl.replace seen (classify e) ();
      Printf.printf "%-28s raised %-26s %s\n" name (classify e) (Printexc.to_string e)
