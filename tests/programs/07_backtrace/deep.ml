(* Functions that raise from a few frames deep. [@inline never] keeps the
   frames visible in backtraces. *)
exception Boom of int

let[@inline never] level3 n = if n > 2 then raise (Boom n) else n + 1
let[@inline never] level2 n = 1 + level3 (n + 1)
let[@inline never] level1 n = 2 * level2 (n + 1)

let[@inline never] reraiser n =
  try level1 n with Boom k -> raise (Boom (k * 100))

let[@inline never] notrace n = if n > 0 then raise_notrace Exit else n

let[@inline never] rec countdown n = if n = 0 then failwith "bottom" else 1 + countdown (n - 1)
