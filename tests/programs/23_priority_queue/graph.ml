(* Dijkstra on a deterministic pseudo-random graph. *)
module H = Heap.Make (struct type t = int * int let compare = compare end)

type graph = { n : int; adj : (int * int) list array }

let make n edges seed =
  let adj = Array.make n [] in
  let s = ref seed in
  let next () = s := ((!s * 1103515245) + 12345) land 0x3fffffff; !s lsr 8 in
  for i = 0 to n - 2 do adj.(i) <- (i + 1, 1 + (next () mod 20)) :: adj.(i) done;
  for _ = 1 to edges do
    let a = next () mod n and b = next () mod n and w = 1 + (next () mod 100) in
    adj.(a) <- (b, w) :: adj.(a)
  done;
  { n; adj }

let dijkstra g src =
  let dist = Array.make g.n max_int in
  let h = H.create () in
  dist.(src) <- 0;
  H.push h (0, src);
  let pops = ref 0 in
  while not (H.is_empty h) do
    let d, u = H.pop h in
    incr pops;
    if d <= dist.(u) then
      List.iter (fun (v, w) -> if d + w < dist.(v) then (dist.(v) <- d + w; H.push h (d + w, v))) g.adj.(u)
  done;
  (dist, !pops)
