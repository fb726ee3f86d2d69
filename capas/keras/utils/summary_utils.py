"""`model.summary()`: the table Keras prints (placeholder until the full layout lands)."""


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False):
    print_fn = print_fn or print
    print_fn(f'Model: "{model.name}"')
    for layer in model.layers:
        print_fn(f"{layer.name} ({type(layer).__name__}) {sum(int(w.numel()) for w in layer.weights)}")
    print_fn(f"Total params: {sum(int(w.numel()) for w in model.weights)}")
