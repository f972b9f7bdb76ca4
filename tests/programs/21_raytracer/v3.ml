type t = { x : float; y : float; z : float }
let v x y z = { x; y; z }
let ( +| ) a b = { x = a.x +. b.x; y = a.y +. b.y; z = a.z +. b.z }
let ( -| ) a b = { x = a.x -. b.x; y = a.y -. b.y; z = a.z -. b.z }
let ( *| ) k a = { x = k *. a.x; y = k *. a.y; z = k *. a.z }
let dot a b = (a.x *. b.x) +. (a.y *. b.y) +. (a.z *. b.z)
let length a = sqrt (dot a a)
let normalize a = let l = length a in (1. /. l) *| a
let reflect d n = d -| ((2. *. dot d n) *| n)
