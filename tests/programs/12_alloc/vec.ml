type v = { x : float; y : float; z : float }

let make x y z = { x; y; z }
let add a b = { x = a.x +. b.x; y = a.y +. b.y; z = a.z +. b.z }
let scale k a = { x = k *. a.x; y = k *. a.y; z = k *. a.z }
let dot a b = (a.x *. b.x) +. (a.y *. b.y) +. (a.z *. b.z)
let norm a = sqrt (dot a a)
let to_string a = Printf.sprintf "(%.4f, %.4f, %.4f)" a.x a.y a.z
