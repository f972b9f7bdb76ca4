open Shape

let ints l = String.concat " " (List.map string_of_int l)

let () =
  let shapes : shape list = [ new circle 1.0; new rect 2.0 3.0; (new square 4.0 :> shape) ] in
  List.iter (fun s -> print_endline s#describe) shapes;
  let total = List.fold_left (fun acc s -> acc +. s#area) 0. shapes in
  Printf.printf "total area %.3f\n" total;
  let c = new counter in
  for _ = 1 to 10 do ignore c#incr done;
  Printf.printf "counter %d %d\n" c#get (c#add 5);
  let st = new stack in
  List.iter st#push [ "a"; "b"; "c" ];
  Printf.printf "stack size %d fold %s\n" st#size (st#fold (fun acc x -> acc ^ x) "");
  Printf.printf "fold length %d\n" (st#fold (fun acc x -> acc + String.length x) 0);
  (match st#pop with Some x -> Printf.printf "popped %s\n" x | None -> ());
  print_endline "== caml_sendN ==";
  Printf.printf "immediate: %s\n" (ints (Sender.all (Sender.make 100)));
  Printf.printf "class    : %s\n" (ints (Sender.all (new Sender.weighted 3)));
  let objs = [ Sender.make 0; Sender.make 1000; (new Sender.weighted 2 :> < m0 : int; m1 : int -> int; m2 : int -> int -> int; m3 : int -> int -> int -> int; m4 : int -> int -> int -> int -> int; m5 : int -> int -> int -> int -> int -> int; m6 : int -> int -> int -> int -> int -> int -> int; m7 : int -> int -> int -> int -> int -> int -> int -> int >) ] in
  List.iter (fun o -> Printf.printf "m7 = %d, m3 partial = %d\n" (Sender.call7 o) ((o#m3 10) 20 30)) objs;
  let partials = List.map (fun o -> o#m5 1 1) objs in
  Printf.printf "partial sends: %s\n" (ints (List.map (fun f -> f 2 2 2) partials));
  print_endline "== self, polymorphic methods, immediate objects ==";
  let point =
    object (self)
      val mutable x = 0
      val mutable y = 0
      method move dx dy = x <- x + dx; y <- y + dy; self
      method pos = (x, y)
      method to_string = let x, y = self#pos in Printf.sprintf "(%d,%d)" x y
    end
  in
  print_endline ((point#move 1 2)#move 3 4)#to_string;
  let mapper = object method map : 'a 'b. ('a -> 'b) -> 'a list -> 'b list = List.map end in
  Printf.printf "poly: %s / %s\n" (ints (mapper#map (fun x -> x * 2) [ 1; 2; 3 ]))
    (String.concat "," (mapper#map string_of_bool [ true; false ]));
  let cloned = Oo.copy point in
  ignore (cloned#move 100 100);
  Printf.printf "orig %s clone %s\n" point#to_string cloned#to_string;
  let functional =
    object
      val v = 1
      method bump = {< v = v + 1 >}
      method v = v
    end
  in
  Printf.printf "functional update: %d %d\n" functional#v (functional#bump#bump#v);
  let many = List.init 1000 (fun i -> Sender.make i) in
  let s = List.fold_left (fun acc o -> acc + Sender.call4 o + o#m0) 0 many in
  Printf.printf "sum over 1000 objects: %d\n" s;
  prerr_endline ("objects: " ^ (List.hd shapes)#name)
