(* Labelled and optional arguments. *)
type rect = { x : int; y : int; w : int; h : int }

let make_rect ?(x = 0) ?(y = 0) ~w ~h () = { x; y; w; h }
let show r = Printf.sprintf "{x=%d y=%d w=%d h=%d}" r.x r.y r.w r.h
let area { w; h; _ } = w * h

let translate ~dx ~dy r = { r with x = r.x + dx; y = r.y + dy }
let scale ?(factor = 2) r = { r with w = r.w * factor; h = r.h * factor }

let clip ~lo ~hi v = if v < lo then lo else if v > hi then hi else v

let describe ?prefix ?(suffix = "") ~name value =
  let p = match prefix with None -> "" | Some p -> p ^ ":" in
  Printf.sprintf "%s%s=%d%s" p name value suffix

let rec range ?(step = 1) ~from ~until () =
  if from > until then [] else from :: range ~step ~from:(from + step) ~until ()

let fold ~f ~init l = List.fold_left f init l

let many ?(a = 1) ?(b = 2) ?(c = 3) ?(d = 4) ?(e = 5) ?(f = 6) ~g ~h i j =
  a + (b * 10) + (c * 100) + (d * 1000) + (e * 10000) + (f * 100000) + g + h + i + j
