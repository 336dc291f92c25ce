"""schemas/ml.ts stands for these: classes whose fields are numpy arrays and numpy scalars.
Plain classes (NEWOBJ + BUILD of their __dict__); they import nothing from numpy themselves, so
numpy 1.x and 2.x both pickle them."""


class Model:
    """A trained model's parameters: `weights` float64 (any shape), `labels` int64."""

    def __init__(self, weights, labels):
        self.weights = weights
        self.labels = labels


class Arrays:
    """One array per dtype a typed field maps (see Arrays in schemas/ml.ts)."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


class Stats:
    """numpy scalars: what reductions like `a.mean()` and `a.argmax()` return."""

    def __init__(self, **fields):
        self.__dict__.update(fields)
