(* A binary min-heap functor over a growable array. *)
module Make (O : sig type t val compare : t -> t -> int end) = struct
  type t = { mutable data : O.t array; mutable size : int }

  let create () = { data = [||]; size = 0 }
  let is_empty h = h.size = 0
  let size h = h.size

  let swap a i j = let t = a.(i) in a.(i) <- a.(j); a.(j) <- t

  let push h x =
    if h.size = Array.length h.data then begin
      let nd = Array.make (max 8 (2 * h.size)) x in
      Array.blit h.data 0 nd 0 h.size;
      h.data <- nd
    end;
    h.data.(h.size) <- x;
    let i = ref h.size in
    h.size <- h.size + 1;
    while !i > 0 && O.compare h.data.(!i) h.data.((!i - 1) / 2) < 0 do
      swap h.data !i ((!i - 1) / 2);
      i := (!i - 1) / 2
    done

  exception Empty

  let pop h =
    if h.size = 0 then raise Empty;
    let top = h.data.(0) in
    h.size <- h.size - 1;
    h.data.(0) <- h.data.(h.size);
    let i = ref 0 and continue = ref true in
    while !continue do
      let l = (2 * !i) + 1 and r = (2 * !i) + 2 in
      let m = ref !i in
      if l < h.size && O.compare h.data.(l) h.data.(!m) < 0 then m := l;
      if r < h.size && O.compare h.data.(r) h.data.(!m) < 0 then m := r;
      if !m = !i then continue := false else (swap h.data !i !m; i := !m)
    done;
    top
end
