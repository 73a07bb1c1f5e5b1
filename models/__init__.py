"""The data core of Ittisal: records, rules, the database and search. Imports no Qt."""
