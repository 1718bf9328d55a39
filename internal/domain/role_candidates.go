package domain

// RoleCandidate is a member of a municipality HR can assign to a role
// profile, with whether they hold it. The candidates are read a page at a
// time, in the order people joined (issue 14).
type RoleCandidate struct {
	RoleMember
	Assigned bool `json:"assigned"`
}
