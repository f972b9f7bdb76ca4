type rect = { x : int; y : int; w : int; h : int }

val make_rect : ?x:int -> ?y:int -> w:int -> h:int -> unit -> rect
val show : rect -> string
val area : rect -> int
val translate : dx:int -> dy:int -> rect -> rect
val scale : ?factor:int -> rect -> rect
val clip : lo:int -> hi:int -> int -> int
val describe : ?prefix:string -> ?suffix:string -> name:string -> int -> string
val range : ?step:int -> from:int -> until:int -> unit -> int list
val fold : f:('a -> 'b -> 'a) -> init:'a -> 'b list -> 'a

val many :
  ?a:int -> ?b:int -> ?c:int -> ?d:int -> ?e:int -> ?f:int ->
  g:int -> h:int -> int -> int -> int
