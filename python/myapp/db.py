"""schemas/connection.ts stands for this: Python's textbook __getstate__ / __setstate__ example."""


class LiveConnection:
    """Stands in for a database handle: it cannot be pickled."""

    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        raise TypeError("a live connection cannot be pickled")


class DatabaseConnection:
    def __init__(self, connection_string, last_accessed):
        self.connection_string = connection_string
        self.last_accessed = last_accessed
        self.connection = LiveConnection(connection_string)

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["connection"]  # the live connection is not pickled
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.connection = LiveConnection(self.connection_string)  # reconnect

    def __eq__(self, other):
        return (
            type(other) is DatabaseConnection
            and self.connection_string == other.connection_string
            and self.last_accessed == other.last_accessed
            and isinstance(other.connection, LiveConnection)
            and other.connection.target == other.connection_string
        )
