type v = { x : float; y : float; z : float }

val make : float -> float -> float -> v
val add : v -> v -> v
val scale : float -> v -> v
val dot : v -> v -> float
val norm : v -> float
val to_string : v -> string
