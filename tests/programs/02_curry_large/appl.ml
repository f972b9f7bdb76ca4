(* Unknown closures applied to many arguments at once. *)
let[@inline never] opaque x = Sys.opaque_identity x
let apply9 f = f 1 2 3 4 5 6 7 8 9
let apply10 f = f 1 2 3 4 5 6 7 8 9 10
let apply12 f = f 1 2 3 4 5 6 7 8 9 10 11 12
let apply15 f = f 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
let apply16 f = f 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
let apply17 f = f 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
let apply20 f = f 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20
let apply23 f = f 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23
let apply25 f = f 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25
let apply30 f = f 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30
let apply_rest k f = (* apply the remaining k arguments one by one *)
  let rec go i (f : Obj.t) =
    if i > k then (Obj.obj f : int)
    else go (i + 1) ((Obj.obj f : int -> Obj.t) (i * 7))
  in
  go 1 (Obj.repr f)
