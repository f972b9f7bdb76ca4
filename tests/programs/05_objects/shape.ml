(* Classes, inheritance, virtual methods. *)
class virtual shape (name : string) =
  object (self)
    method name = name
    method virtual area : float
    method virtual perimeter : float
    method describe =
      Printf.sprintf "%s: area=%.2f perimeter=%.2f" self#name self#area self#perimeter
  end

class circle r =
  object
    inherit shape "circle"
    method area = 3.14159 *. r *. r
    method perimeter = 2. *. 3.14159 *. r
  end

class rect w h =
  object
    inherit shape "rect"
    method area = w *. h
    method perimeter = 2. *. (w +. h)
  end

class square s =
  object (self)
    inherit rect s s as super
    method! name = "square"
    method! describe = "[" ^ super#describe ^ "] side=" ^ string_of_float (self#area ** 0.5)
  end

class counter =
  object
    val mutable n = 0
    method incr = n <- n + 1; n
    method add k = n <- n + k; n
    method get = n
  end

class ['a] stack =
  object
    val mutable items : 'a list = []
    method push x = items <- x :: items
    method pop = match items with [] -> None | x :: r -> items <- r; Some x
    method size = List.length items
    method fold : 'b. ('b -> 'a -> 'b) -> 'b -> 'b = fun f init -> List.fold_left f init items
  end
