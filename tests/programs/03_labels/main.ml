open Shapes

let () =
  let r = make_rect ~w:3 ~h:4 () in
  print_endline (show r);
  let r2 = make_rect ~h:10 ~x:5 ~w:2 () in
  print_endline (show r2);
  let r3 = make_rect ?x:(Some 7) ?y:None ~w:1 ~h:1 () in
  print_endline (show r3);
  Printf.printf "areas: %d %d %d\n" (area r) (area r2) (area r3);
  (* partial application with labels, in any order *)
  let move_right = translate ~dx:10 in
  let move_down = translate ~dy:5 in
  print_endline (show (move_right ~dy:0 r));
  print_endline (show (move_down ~dx:(-1) r2));
  let rects = List.map (translate ~dy:1 ~dx:1) [ r; r2; r3 ] in
  List.iter (fun r -> print_endline (show r)) rects;
  let scaled = List.map (scale ~factor:3) rects in
  List.iter (fun r -> print_endline (show r)) scaled;
  let scaled_default = List.map (fun r -> scale r) rects in
  List.iter (fun r -> print_endline (show r)) scaled_default;
  let c = clip ~hi:10 in
  let c' = c ~lo:0 in
  Printf.printf "clip: %s\n"
    (String.concat " " (List.map (fun v -> string_of_int (c' v)) [ -5; 0; 5; 10; 15 ]));
  let c2 = clip ~lo:3 ~hi:4 in
  Printf.printf "clip2: %d %d\n" (c2 1) (c2 100);
  print_endline (describe ~name:"a" 1);
  print_endline (describe ~prefix:"P" ~name:"b" 2);
  print_endline (describe ~suffix:"!" ~name:"c" 3 ~prefix:"Q");
  let d = describe ~suffix:"?" in
  print_endline (d ~name:"d" 4);
  let opt = Some "opt" in
  print_endline (describe ?prefix:opt ~name:"e" 5);
  Printf.printf "range: %s\n" (String.concat "," (List.map string_of_int (range ~from:1 ~until:10 ())));
  Printf.printf "range step 3: %s\n"
    (String.concat "," (List.map string_of_int (range ~until:20 ~step:3 ~from:2 ())));
  Printf.printf "fold: %d\n" (fold ~init:0 ~f:( + ) (range ~from:1 ~until:100 ()));
  Printf.printf "fold str: %s\n" (fold ~f:(fun a b -> a ^ string_of_int b) ~init:"" [ 1; 2; 3 ]);
  Printf.printf "many default: %d\n" (many ~g:7 ~h:8 9 10);
  Printf.printf "many some: %d\n" (many ~f:9 ~a:0 ~h:1 ~g:1 0 0);
  let m = many ~c:0 ~e:0 in
  let m2 = m ~h:100 in
  Printf.printf "many partial: %d %d\n" (m2 ~g:1 2 3) (m2 ~g:4 5 6);
  let m3 = Sys.opaque_identity (many ~g:1 ~h:1) in
  Printf.printf "many over list: %s\n"
    (String.concat " " (List.map (fun x -> string_of_int (m3 x x)) [ 1; 2; 3 ]));
  let f ~x ~y = x - y in
  let g = Sys.opaque_identity f in
  Printf.printf "labels reorder: %d %d\n" (g ~y:1 ~x:10) (g ~x:1 ~y:10);
  let h ?(k = 100) () = k in
  Printf.printf "opt unit: %d %d\n" (h ()) (h ~k:5 ());
  let sort = List.sort (fun a b -> compare b a) in
  Printf.printf "sorted: %s\n" (String.concat " " (List.map string_of_int (sort [ 3; 1; 2 ])));
  let l = ListLabels.map ~f:(fun x -> x * x) [ 1; 2; 3 ] in
  Printf.printf "ListLabels: %s\n" (String.concat " " (List.map string_of_int l));
  let a = ArrayLabels.make 3 'x' in
  ArrayLabels.iteri ~f:(fun i ch -> Printf.printf "%d%c " i ch) a;
  print_newline ();
  let s = StringLabels.sub "hello world" ~pos:6 ~len:5 in
  print_endline s;
  prerr_endline (describe ~prefix:"stderr" ~name:"labels" 3)
