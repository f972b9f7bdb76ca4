open V3

type material = { color : float; reflect : float }
type obj = Sphere of V3.t * float * material | Plane of V3.t * float * material

let objects =
  [ Sphere (v 0. 0. 5., 1., { color = 0.9; reflect = 0.3 });
    Sphere (v 1.8 0.3 6., 0.8, { color = 0.6; reflect = 0.6 });
    Sphere (v (-1.7) (-0.2) 4.5, 0.6, { color = 0.4; reflect = 0.0 });
    Plane (v 0. 1. 0., 1., { color = 0.5; reflect = 0.2 }) ]

let light = normalize (v (-1.) 1.5 (-1.))

let intersect orig dir = function
  | Sphere (c, r, _) ->
      let oc = orig -| c in
      let b = dot oc dir in
      let cc = dot oc oc -. (r *. r) in
      let disc = (b *. b) -. cc in
      if disc < 0. then None
      else
        let sq = sqrt disc in
        let t1 = -.b -. sq and t2 = -.b +. sq in
        if t1 > 1e-4 then Some t1 else if t2 > 1e-4 then Some t2 else None
  | Plane (n, d, _) ->
      let denom = dot n dir in
      if Float.abs denom < 1e-6 then None
      else let t = -.(dot n orig +. d) /. denom in if t > 1e-4 then Some t else None

let normal_at p = function Sphere (c, _, _) -> normalize (p -| c) | Plane (n, _, _) -> n
let material = function Sphere (_, _, m) | Plane (_, _, m) -> m

let closest orig dir =
  List.fold_left
    (fun best o -> match (intersect orig dir o, best) with
      | Some t, Some (bt, _) when t >= bt -> best
      | Some t, _ -> Some (t, o)
      | None, _ -> best)
    None objects

let rec trace orig dir depth =
  match closest orig dir with
  | None -> 0.05
  | Some (t, o) ->
      let p = orig +| (t *| dir) in
      let n = normal_at p o in
      let m = material o in
      let shadow = match closest p light with Some _ -> 0.3 | None -> 1.0 in
      let diffuse = Float.max 0. (dot n light) *. shadow in
      let base = m.color *. (0.1 +. (0.9 *. diffuse)) in
      if depth > 0 && m.reflect > 0. then
        ((1. -. m.reflect) *. base) +. (m.reflect *. trace p (normalize (reflect dir n)) (depth - 1))
      else base
