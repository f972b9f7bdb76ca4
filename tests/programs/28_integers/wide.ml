(* Int32 / Int64 arithmetic: same results on every 64-bit target. *)
let fnv1a64 s =
  let h = ref 0xcbf29ce484222325L in
  String.iter (fun c -> h := Int64.mul (Int64.logxor !h (Int64.of_int (Char.code c))) 0x100000001b3L) s;
  !h

let crc32 s =
  let table = Array.init 256 (fun n ->
    let c = ref (Int32.of_int n) in
    for _ = 0 to 7 do
      c := if Int32.logand !c 1l <> 0l then Int32.logxor 0xEDB88320l (Int32.shift_right_logical !c 1) else Int32.shift_right_logical !c 1
    done; !c) in
  let c = ref 0xFFFFFFFFl in
  String.iter (fun ch -> c := Int32.logxor table.(Int32.to_int (Int32.logand (Int32.logxor !c (Int32.of_int (Char.code ch))) 0xFFl)) (Int32.shift_right_logical !c 8)) s;
  Int32.logxor !c 0xFFFFFFFFl

let xorshift64 state =
  let x = !state in
  let x = Int64.logxor x (Int64.shift_left x 13) in
  let x = Int64.logxor x (Int64.shift_right_logical x 7) in
  let x = Int64.logxor x (Int64.shift_left x 17) in
  state := x; x
