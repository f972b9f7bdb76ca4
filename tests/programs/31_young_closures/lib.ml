(* Closures, partial applications, tuplified functions and objects whose
   environments are young (allocated at run time), so that a minor
   collection inside a generic function (caml_curryN, caml_applyN,
   caml_tuplifyN, caml_sendN) moves them: run with OCAMLRUNPARAM=s=256. *)
let keep = Array.make 64 "" and pos = ref 0
let s i =
  let r = String.make 1 (Char.chr (97 + i mod 26)) ^ string_of_int i in
  incr pos; keep.(!pos land 63) <- r; r
let cat l = String.concat "," l
let mk2 () = let p = s 2 in Sys.opaque_identity (fun a1 a2 -> cat [p; a1; a2])
let mk3 () = let p = s 3 in Sys.opaque_identity (fun a1 a2 a3 -> cat [p; a1; a2; a3])
let mk4 () = let p = s 4 in Sys.opaque_identity (fun a1 a2 a3 a4 -> cat [p; a1; a2; a3; a4])
let mk5 () = let p = s 5 in Sys.opaque_identity (fun a1 a2 a3 a4 a5 -> cat [p; a1; a2; a3; a4; a5])
let mk7 () = let p = s 7 in Sys.opaque_identity (fun a1 a2 a3 a4 a5 a6 a7 -> cat [p; a1; a2; a3; a4; a5; a6; a7])
let mk9 () = let p = s 9 in Sys.opaque_identity (fun a1 a2 a3 a4 a5 a6 a7 a8 a9 -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9])
let mk11 () = let p = s 11 in Sys.opaque_identity (fun a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9; a10; a11])
let mk15 () = let p = s 15 in Sys.opaque_identity (fun a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9; a10; a11; a12; a13; a14; a15])
let mk16 () = let p = s 16 in Sys.opaque_identity (fun a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9; a10; a11; a12; a13; a14; a15; a16])
let mk17 () = let p = s 17 in Sys.opaque_identity (fun a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9; a10; a11; a12; a13; a14; a15; a16; a17])
let mk20 () = let p = s 20 in Sys.opaque_identity (fun a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9; a10; a11; a12; a13; a14; a15; a16; a17; a18; a19; a20])
let mkt2 () = let p = s 2 in Sys.opaque_identity (fun (a1, a2) -> cat [p; a1; a2])
let mkt3 () = let p = s 3 in Sys.opaque_identity (fun (a1, a2, a3) -> cat [p; a1; a2; a3])
let mkt5 () = let p = s 5 in Sys.opaque_identity (fun (a1, a2, a3, a4, a5) -> cat [p; a1; a2; a3; a4; a5])
let mkt9 () = let p = s 9 in Sys.opaque_identity (fun (a1, a2, a3, a4, a5, a6, a7, a8, a9) -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9])
let mkt12 () = let p = s 12 in Sys.opaque_identity (fun (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12) -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9; a10; a11; a12])
let mkt17 () = let p = s 17 in Sys.opaque_identity (fun (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17) -> cat [p; a1; a2; a3; a4; a5; a6; a7; a8; a9; a10; a11; a12; a13; a14; a15; a16; a17])
class obj (name : string) = object (self)
  val mutable count = 0
  method m0 = count <- count + 1; name ^ string_of_int count
  method m1 a = cat [name; a]
  method m2 a b = cat [name; a; b; self#m0]
  method m3 a b c = cat [name; a; b; c]
  method m8 a b c d e f g h = cat [name; a; b; c; d; e; f; g; h]
  method m13 a b c d e f g h i j k l m = cat [name; a; b; c; d; e; f; g; h; i; j; k; l; m]
  method m16 a b c d e f g h i j k l m n o p =
    cat [name; a; b; c; d; e; f; g; h; i; j; k; l; m; n; o; p]
end
class sub = object
  inherit obj (s 77)
  method! m1 a = cat ["sub"; a]
end
