(* Game of life on a Bytes grid, plus float arrays. *)
let w = 24
let h = 12

let make () = Bytes.make (w * h) '.'
let get g x y = let x = (x + w) mod w and y = (y + h) mod h in Bytes.get g ((y * w) + x) = '#'
let set g x y v = Bytes.set g ((y * w) + x) (if v then '#' else '.')

let step g =
  let n = make () in
  for y = 0 to h - 1 do
    for x = 0 to w - 1 do
      let c = ref 0 in
      for dy = -1 to 1 do for dx = -1 to 1 do if (dx <> 0 || dy <> 0) && get g (x + dx) (y + dy) then incr c done done;
      set n x y (if get g x y then !c = 2 || !c = 3 else !c = 3)
    done
  done;
  n

let print g = for y = 0 to h - 1 do print_endline (Bytes.sub_string g (y * w) w) done
let population g = let c = ref 0 in Bytes.iter (fun ch -> if ch = '#' then incr c) g; !c

let stats (a : float array) =
  let n = float_of_int (Array.length a) in
  let mean = Array.fold_left ( +. ) 0. a /. n in
  let var = Array.fold_left (fun acc x -> acc +. ((x -. mean) ** 2.)) 0. a /. n in
  (mean, sqrt var)
