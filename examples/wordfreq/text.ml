(* Splitting text into lower-case words. *)
let is_letter c = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c = '\''

let words s =
  let buf = Buffer.create 16 and out = ref [] in
  let flush () =
    if Buffer.length buf > 0 then begin
      out := String.lowercase_ascii (Buffer.contents buf) :: !out;
      Buffer.clear buf
    end
  in
  String.iter (fun c -> if is_letter c then Buffer.add_char buf c else flush ()) s;
  flush ();
  List.rev !out
