(* Unknown-closure applications with many arguments at once: these go
   through caml_applyN when the closure's arity does not match. *)
let apply2 f = f 1 2
let apply3 f = f 1 2 3
let apply4 f = f 1 2 3 4
let apply5 f = f 1 2 3 4 5
let apply6 f = f 1 2 3 4 5 6
let apply7 f = f 1 2 3 4 5 6 7
let apply8 f = f 1 2 3 4 5 6 7 8

let[@inline never] opaque x = Sys.opaque_identity x

(* apply a closure piecewise *)
let step1 f = f 1
let step2 f = (f 1) 2
let twice f x = f (f x)
let compose f g x = f (g x)
