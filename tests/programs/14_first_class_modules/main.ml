module type COUNTER = sig val next : unit -> int end
module type NUM = sig type t val zero : t val add : t -> t -> t val show : t -> string end

let () =
  List.iter
    (fun n ->
      let (module P : Plugins.PLUGIN) = Plugins.get n in
      Printf.printf "plugin %s v%d: %s\n" P.name P.version (P.run "First-class modules"))
    (Plugins.names ());
  let shapes = [ Shapes.pack (module Shapes.Square) 2.; Shapes.pack (module Shapes.Circle) 1.5;
                 Shapes.pack (module Shapes.Square) 0.5 ] in
  List.iter (fun s -> Printf.printf "%s area %.4f\n" (Shapes.name s) (Shapes.area s)) shapes;
  Printf.printf "stack: %s\n" (String.concat "," (List.map string_of_int (Shapes.use_stack Shapes.list_stack [ 1; 2; 3; 4 ])));
  let module Sorted = (val (if Sys.opaque_identity true then (module Set.Make (Int) : Set.S with type elt = int)
                            else (module Set.Make (struct type t = int let compare a b = compare b a end)))) in
  let s = Sorted.of_list [ 5; 1; 4; 1; 3 ] in
  Printf.printf "dynamic set module: %s\n" (String.concat " " (List.map string_of_int (Sorted.elements s)));
  let make_counter start =
    (module struct
      let c = ref start
      let next () = incr c; !c
    end : COUNTER)
  in
  let counters = List.map make_counter [ 0; 100; 1000 ] in
  List.iter (fun (module C : COUNTER) -> ignore (C.next ()); Printf.printf "counter %d\n" (C.next ())) counters;
  let sum (type a) (module N : NUM with type t = a) (l : a list) =
    N.show (List.fold_left N.add N.zero l)
  in
  print_endline (sum (module struct type t = int let zero = 0 let add = ( + ) let show = string_of_int end) [ 1; 2; 3 ]);
  print_endline (sum (module struct type t = float let zero = 0. let add = ( +. ) let show = Printf.sprintf "%.2f" end) [ 1.5; 2.25 ]);
  print_endline (sum (module struct type t = string let zero = "" let add = ( ^ ) let show s = s end) [ "x"; "y"; "z" ]);
  prerr_endline "first-class modules: missing plugin lookup next";
  let (module P : Plugins.PLUGIN) = Plugins.get "nonexistent" in
  print_endline P.name
