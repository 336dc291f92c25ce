"""The Python classes of the records workload (bench/schemas/records.ts stands for them)."""


class Address:
    def __init__(self, street, city, zip):
        self.street = street
        self.city = city
        self.zip = zip


class User:
    def __init__(self, name, age, score, active, tags, created, parent_id, address):
        self.name = name
        self.age = age
        self.score = score
        self.active = active
        self.tags = tags
        self.created = created
        self.parent_id = parent_id
        self.address = address
