(* Method calls with 0..7 arguments on objects of unknown class. *)
let call0 o = o#m0
let call1 o = o#m1 1
let call2 o = o#m2 1 2
let call3 o = o#m3 1 2 3
let call4 o = o#m4 1 2 3 4
let call5 o = o#m5 1 2 3 4 5
let call6 o = o#m6 1 2 3 4 5 6
let call7 o = o#m7 1 2 3 4 5 6 7

let all o =
  [ call0 o; call1 o; call2 o; call3 o; call4 o; call5 o; call6 o; call7 o ]

let make k =
  object
    method m0 = k
    method m1 a = k + a
    method m2 a b = k + a + b
    method m3 a b c = k + a + b + c
    method m4 a b c d = k + a + b + c + d
    method m5 a b c d e = k + a + b + c + d + e
    method m6 a b c d e f = k + a + b + c + d + e + f
    method m7 a b c d e f g = k + a + b + c + d + e + f + g
  end

class weighted w =
  object
    method m0 = w
    method m1 a = w * a
    method m2 a b = w * (a + b)
    method m3 a b c = w * (a + b + c)
    method m4 a b c d = w * (a + b + c + d)
    method m5 a b c d e = w * (a + b + c + d + e)
    method m6 a b c d e f = w * (a + b + c + d + e + f)
    method m7 a b c d e f g = w * (a + b + c + d + e + f + g)
    method extra = "extra"
  end
